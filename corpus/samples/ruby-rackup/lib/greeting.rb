# The text the smoke test reads.
require "rack"

module Greeting
  def self.line
    "ruby-rackup up: rack #{Rack.release} on ruby #{RUBY_VERSION}\n"
  end
end
