<?php
namespace Acme\Shortener;

final class App
{
    public function run(): void
    {
        echo "ok";
    }
}
