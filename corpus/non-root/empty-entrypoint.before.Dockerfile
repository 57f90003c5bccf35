FROM ruby:3.3-slim
RUN gem install rails
WORKDIR /rails
ENTRYPOINT [""]
