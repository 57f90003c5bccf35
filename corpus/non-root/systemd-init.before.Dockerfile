FROM fedora:40
RUN dnf install -y systemd httpd && dnf clean all
RUN systemctl enable httpd
CMD ["/sbin/init"]
