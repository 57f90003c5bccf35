FROM ruby:3.3-slim
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN mkdir -p tmp/pids log
EXPOSE 3000
CMD ["bin/rails", "server", "-b", "0.0.0.0"]
