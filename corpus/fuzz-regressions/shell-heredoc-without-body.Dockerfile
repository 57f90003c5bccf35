FROM debian
RUN apt-get install curl|<<
RUN npm install;<<
RUN yum install x;<<
RUN yum install -y x && yum clean all;<<
