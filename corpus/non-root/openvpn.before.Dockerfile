FROM alpine:3.19
RUN apk add --no-cache openvpn
COPY client.ovpn /etc/openvpn/client.conf
CMD ["openvpn", "--config", "/etc/openvpn/client.conf"]
