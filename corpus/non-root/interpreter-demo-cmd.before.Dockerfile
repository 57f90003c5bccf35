FROM gcr.io/distroless/cc
ENV DENO_DIR=/deno-dir/
COPY --from=denoland/deno:bin-2.1.0 /deno /bin/deno
COPY --from=krallin/tini:latest /tini /tini
ENTRYPOINT ["/tini", "--", "/bin/deno"]
CMD ["eval", "console.log('Welcome to Deno!')"]
