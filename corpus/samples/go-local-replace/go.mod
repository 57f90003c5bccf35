module example.com/greeter

go 1.19

require example.com/words v0.0.0

replace example.com/words => ./words
