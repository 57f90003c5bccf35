from alpine
maintainer "Ops" $TEAM \ops
