FROM centos:7
MAINTAINER Jane Doe <jane@example.com>