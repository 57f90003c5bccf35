FROM centos:7
RUN yum install -y \
        httpd \
        mod_ssl \
        && yum clean all \
        && rm -rf /var/cache/yum
