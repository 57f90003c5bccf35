module example.com/haiku

go 1.19
