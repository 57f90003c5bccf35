FROM ruby:3.3-slim
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
    && mkdir -p /rails && chown app:app /rails
WORKDIR /rails
COPY --chown=app:app Gemfile Gemfile.lock ./
RUN bundle install
COPY --chown=app:app . .
RUN mkdir -p tmp/pids log
RUN chown -R app:app /rails/log /rails/tmp
EXPOSE 3000
USER 10001:10001
CMD ["bin/rails", "server", "-b", "0.0.0.0"]
