# A Rack app served by rackup (rack 2.2's own command) on WEBrick.
require_relative "lib/greeting"

run ->(_env) { [200, { "Content-Type" => "text/plain" }, [Greeting.line]] }
