FROM centos:7
RUN yum install -y epel-release && yum install -y nodejs && yum clean all
WORKDIR /usr/src/app
COPY . .
CMD ["node", "index.js"]
