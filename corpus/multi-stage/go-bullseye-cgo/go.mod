module example.com/cgo-openssl

go 1.21
