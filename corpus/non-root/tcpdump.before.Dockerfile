FROM alpine:3.19
RUN apk add --no-cache tcpdump
WORKDIR /captures
CMD ["tcpdump", "-i", "eth0", "-w", "/captures/trace.pcap"]
