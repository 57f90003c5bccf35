FROM debian
RUN apt-get install curl|<<
RUN npm install;<<
RUN yum install x;<<
