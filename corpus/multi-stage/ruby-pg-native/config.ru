require "pg"
run ->(env) { [200, {"content-type" => "text/plain"}, ["pg #{PG::VERSION}\n"]] }
