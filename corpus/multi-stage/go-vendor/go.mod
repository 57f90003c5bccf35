module example.com/poet

go 1.19

require example.com/quote v1.0.0
