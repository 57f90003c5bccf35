# The text the smoke test reads: says which WEBrick and Ruby serve it and as whom.
module Greeting
  def self.line
    "ruby-web up: webrick #{WEBrick::VERSION} on ruby #{RUBY_VERSION}, env #{ENV.fetch('RACK_ENV', '-')}\n"
  end
end
