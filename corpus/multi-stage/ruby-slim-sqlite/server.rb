require "webrick"
require "sqlite3"
WEBrick::HTTPServer.new(Port: 8000).tap { |s| s.mount_proc("/") { |_, r| r.body = SQLite3::VERSION } }.start
