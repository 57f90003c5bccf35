FROM fedora:40
RUN dnf install -y make && for repo in a b; do dnf install $repo-tools; done
