FROM eclipse-temurin:21-jdk
WORKDIR /work
CMD ["jshell"]
