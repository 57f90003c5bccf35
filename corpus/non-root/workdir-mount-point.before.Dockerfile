FROM ruby:3.3-alpine
RUN gem install jekyll
WORKDIR /src/site
CMD ["jekyll", "serve", "-H", "0.0.0.0", "-P", "4000"]
