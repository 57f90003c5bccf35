package tools

// Name is the service name.
const Name = "svc"
