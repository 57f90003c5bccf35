"""dockwright bot: refactor a repository and open or update a pull request (run), with the git
(gitops) and GitHub REST (github_api) plumbing and the pull request's text (pr_body)."""
