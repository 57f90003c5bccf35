# A tiny WEBrick server: the gem comes from the bundle (vendor/cache holds the .gem files, so
# `bundle install` needs no network).
require "bundler/setup"
require "webrick"
require_relative "lib/greeting"

port = Integer(ENV.fetch("PORT", "4567"))
server = WEBrick::HTTPServer.new(Port: port, BindAddress: "0.0.0.0", AccessLog: [])
server.mount_proc("/") do |_req, res|
  res["Content-Type"] = "text/plain"
  res.body = Greeting.line
end
trap("TERM") { server.shutdown }
trap("INT") { server.shutdown }
server.start
