FROM debian
RUN apt install&"
RUN t&apt install &\ "
RUN for i in a; do for j in b; do apt-get install -y $i$j; done; done && apt-get install -y x
RUN for p in a b; do apt-get install -y $p; done && rm -rf /var/lib/apt/lists/*
