FROM maven:3.9-eclipse-temurin-17
WORKDIR /app
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY \
# c
    src ./src
RUN mvn -B package -DskipTests
ENV SPRING_PROFILES_ACTIVE=prod
EXPOSE 8080
CMD ["java", \
# c
    "-jar", "target/demo-0.0.1-SNAPSHOT.jar"]
