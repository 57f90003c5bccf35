# escape=\
# escape=`
FROM debian
