# escape=x
FROM debian
