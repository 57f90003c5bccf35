FROM ruby:latest
