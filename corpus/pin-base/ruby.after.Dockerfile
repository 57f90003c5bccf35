FROM ruby:3.2.2
