# escape = `
FROM mcr.microsoft.com/windows/servercore
RUN dir C:\ `
  && echo done
