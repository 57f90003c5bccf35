module example.com/poet

go 1.19

require example.com/verse v1.0.0
