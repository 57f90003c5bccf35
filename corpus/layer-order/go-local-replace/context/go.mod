module example.com/app

go 1.19

replace example.com/lib => ./lib
