FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libvirt-clients \
    && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["virsh", "-c", "qemu:///system"]
