from debian
run apt-get update \
    && apt-get install -y jq
