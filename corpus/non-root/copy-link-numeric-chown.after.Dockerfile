FROM mcr.microsoft.com/dotnet/runtime:10.0
RUN mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --link --chown=1654:1654 . .
USER 1654:1654
ENTRYPOINT ["dotnet", "app.dll"]
