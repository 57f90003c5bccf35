FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --link . .
ENTRYPOINT ["dotnet", "app.dll"]
