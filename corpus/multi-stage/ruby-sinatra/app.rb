require "sinatra/base"

class App < Sinatra::Base
  get("/") { "hello from ruby-sinatra" }
end
