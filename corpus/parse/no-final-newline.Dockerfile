FROM debian
CMD ["bash"]