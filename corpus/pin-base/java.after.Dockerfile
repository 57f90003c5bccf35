FROM maven:3-eclipse-temurin-21 AS build
RUN mvn -q package

FROM eclipse-temurin:21-jre-alpine
COPY --from=build /target/app.jar /app.jar
FROM eclipse-temurin:21.0.2_13-jre
FROM amazoncorretto:21
