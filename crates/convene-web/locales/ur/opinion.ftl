## opinion
