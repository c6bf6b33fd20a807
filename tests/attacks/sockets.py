# Opens a listening socket and connects out.
# status: error
# fails: all
# message: Operation not permitted
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("127.0.0.1", 47913))
server.listen()
socket.create_connection(("1.1.1.1", 53), timeout=2)
