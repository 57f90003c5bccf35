FROM debian
# `\\` ending a line is an escaped escape, not a continuation: the instruction ends there
RUN apt-get install curl \\
RUN npm install \\
RUN x;\
apt-get install \\
n
RUN apt-get install x\
  && apt-get install -y a \\
