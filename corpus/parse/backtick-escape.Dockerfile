# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
COPY C:\app C:\app
RUN powershell -Command `
    Write-Host hi; `
    Write-Host bye
