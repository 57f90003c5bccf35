# escape=`
FROM mcr.microsoft.com/windows/nanoserver
RUN echo a `

    && echo b
