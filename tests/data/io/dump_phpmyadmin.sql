-- phpMyAdmin SQL Dump
-- version 5.2.1
-- https://www.phpmyadmin.net/
--
-- Хост: localhost

SET SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";
START TRANSACTION;
SET time_zone = "+00:00";

CREATE TABLE `cdr` (
  `calldate` datetime NOT NULL,
  `src` varchar(80) NOT NULL,
  `dst` varchar(80) NOT NULL,
  `channel` varchar(80) NOT NULL,
  `dstchannel` varchar(80) NOT NULL,
  `duration` int(11) NOT NULL,
  `billsec` int(11) NOT NULL,
  `disposition` varchar(45) NOT NULL,
  `uniqueid` varchar(32) NOT NULL,
  `linkedid` varchar(32) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO `cdr` (`uniqueid`, `calldate`, `src`, `dst`, `channel`, `dstchannel`, `disposition`, `duration`, `billsec`, `linkedid`) VALUES
('1790838000.1', '2026-10-01 10:00:00', '89720123456', '101', 'PJSIP/trunk-00000001', 'PJSIP/101-00000002', 'ANSWERED', 70, 60, '1790838000.1'),
('1790841600.2', '2026-10-01 11:00:00', '102', '89750001111', 'PJSIP/102-00000003', 'PJSIP/trunk-00000004', 'BUSY', 5, 0, '1790841600.2');

COMMIT;
