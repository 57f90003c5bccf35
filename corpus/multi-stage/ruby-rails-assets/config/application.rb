require_relative "boot"
require "rails/all"
Bundler.require(*Rails.groups)
