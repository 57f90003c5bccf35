<?php
namespace Acme\Thumbs;

final class Worker
{
    public function run(): void
    {
        imagecreatetruecolor(8, 8);
    }
}
