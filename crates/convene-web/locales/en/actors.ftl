## actors
