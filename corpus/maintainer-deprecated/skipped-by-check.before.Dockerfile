# check=skip=MaintainerDeprecated
FROM alpine
MAINTAINER Jane
