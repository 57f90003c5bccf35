"""What dockwright knows of the world outside the Dockerfile: base images, their families and
users (baseimages); the build context and its .dockerignore (context); package ecosystems,
their manifests and commands (manifests). Reads the syntax and shell layers."""
