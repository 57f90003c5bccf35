module example.com/motd

go 1.19
